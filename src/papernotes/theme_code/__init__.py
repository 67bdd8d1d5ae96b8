"""Made by ``python -m papernotes.precompiled`` from the theme's templates: do not edit."""

THEME_DIGEST = "a9866215fc2f8c8d2f777121b4f66ee3814968b5218f8d85bd8ce947000c1060"
