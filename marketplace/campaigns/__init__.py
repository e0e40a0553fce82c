"""Town campaigns: vouchers and matched spending funded by the town."""
