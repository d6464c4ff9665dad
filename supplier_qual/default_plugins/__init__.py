"""Built-in behaviour, written as plugins exactly as a third party would write them."""
