"""The live-reload preview: ``state`` (the site in memory, what a rebuild changed, the rebuild
loop), ``http`` (pages, the injected client ``reload.js`` and the Server-Sent Events stream on one
port), ``watch`` (file events debounced into rebuilds) and ``preview`` (wiring them to in-memory
builds).
"""
