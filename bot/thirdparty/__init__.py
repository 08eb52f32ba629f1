"""Third parties (第三方关系管理): 5W1H information-sharing agreements and the requests they make of us."""
