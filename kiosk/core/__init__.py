"""Small shared pieces every layer may use: the clock, masking of personal data, money."""
