"""Made by ``python -m papernotes.precompiled`` from the theme's templates: do not edit."""

THEME_DIGEST = "cbecd1f793ccde624f53b0ae7fb7c1f2006f52b8116f0e88bad8424e4f4ab732"
