"""Click-and-collect orders: checkout, pickup slots, stock, the order workflow, emails."""
