"""Gateway callbacks: USSD and SMS."""
