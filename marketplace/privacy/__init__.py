"""A person's data, above the packages that hold it: export all of it, or delete the account.

It reads accounts, shops, orders and the cart, so it sits above them: none of them imports it.
"""
