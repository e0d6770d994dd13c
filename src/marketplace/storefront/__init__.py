"""The storefront: server-rendered pages for buyers over the same services as the API."""
