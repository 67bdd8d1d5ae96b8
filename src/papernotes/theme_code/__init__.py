"""Made by ``python -m papernotes.precompiled`` from the theme's templates: do not edit."""

THEME_DIGEST = "93a7049adb454d75432cd29c8253517170b31a6117893e64d34604b4e5e5fb11"
