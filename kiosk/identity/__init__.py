"""Who the customer is: ID number rules, ID card checks, age rules, face verification."""
