"""Third parties (第三方关系管理), free of Slack: 5W1H information-sharing agreements and the summaries
shared under them (sharing), the requests third parties make of us (requests), and their cards (cards)."""
