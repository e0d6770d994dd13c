"""The seller console (``/penjual/``) and the admin console (``/admin/``): server-rendered pages
over the same services as the API, sharing one layer (``web.py``) and ``templates/console/``."""
