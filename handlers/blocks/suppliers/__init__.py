"""Block Kit for suppliers: scorecards, forms, contracts, disputes, coordination."""
