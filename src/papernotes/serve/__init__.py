"""The live-reload preview: the HTTP server with its event stream and injected client (``server``,
``reload.js``) and its wiring to in-memory builds and file watching (``preview``).
"""
