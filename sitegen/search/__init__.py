"""The site's own search: a static, sharded index built with the site (index.py, pure) and
planned as build outputs (stage.py); the default theme's search.js reads it in the browser."""
