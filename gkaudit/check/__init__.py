"""What rules are made of: the Rule base, the rule families, declarative rules, findings, and the
cross-document views."""
