"""The service report (服务报告): a period's report drafted from the record, in sections, for each reader."""
