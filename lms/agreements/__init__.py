"""The confidentiality agreement (保密协议): versioned policy page, comprehension check, password signature."""
