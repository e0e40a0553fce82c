"""The cart: kept in the session for visitors, stored for logged-in residents."""
