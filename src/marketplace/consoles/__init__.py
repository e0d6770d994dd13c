"""Human consoles: the seller console under /penjual/ and the admin console under /admin/."""
