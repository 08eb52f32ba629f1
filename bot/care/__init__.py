"""Customer care (客户关系管理): complaints and their SLA clocks, case surveys, praise and contacts."""
