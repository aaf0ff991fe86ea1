import BilateralAPI
print("bilateral")
