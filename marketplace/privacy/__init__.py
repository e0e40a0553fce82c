"""A person's data, above the packages that hold it: export all of it, or delete the account.

It reads accounts, shops, orders, the cart and follows, so it sits above them: none imports it.
"""
