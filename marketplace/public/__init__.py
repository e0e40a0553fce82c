"""The public pages: home, shop directory, shop and product pages, credits."""
