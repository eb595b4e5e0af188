"""Renderer implementations behind `renderers`: JSON (orjson, DRF's bytes), the browsable
API, HTML forms, the admin renderer and the schema renderers."""
