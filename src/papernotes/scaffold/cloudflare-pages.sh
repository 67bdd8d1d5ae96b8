#!/bin/sh
# Build the notes with papernotes on Cloudflare Pages. In the project's settings
# (Workers & Pages → your project → Settings → Build):
#   Build command:           sh cloudflare-pages.sh
#   Build output directory:  site
# The base URL is CF_PAGES_URL, the address of each deployment. Set the variable SITE_URL in
# the project's settings to your production address (https://PROJECT.pages.dev or your own
# domain) so that feed entries keep the same ids from one deployment to the next.
# .python-version chooses the Python the build uses.
set -eu
__REQUIREMENT_CHECK__
python -m pip install -r requirements.txt
base_url="${SITE_URL:-$CF_PAGES_URL}/"
papernotes build --strict --base-url "$base_url"
papernotes check --base-url "$base_url"
