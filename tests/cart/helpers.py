"""Ways a product in a cart stops being sold as it was, shared by the cart tests."""

from shops.models import SUSPENDED
from shops.status import transition_shop


def deactivate(product):
    product.is_active = False


def hide(product):
    product.hidden_reason = "Photo trompeuse."


def suspend_shop(product):
    transition_shop(product.shop, SUSPENDED, None, "Fermeture administrative.")


def sell_out(product):
    product.stock = 0


def sell_all_but_one(product):
    product.stock = 1
