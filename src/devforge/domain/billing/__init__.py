"""Billing: money, rounding, allocation, tax and credit notes, in integer minor units.

The money kernel holds the rules that keep every amount exact: an amount is an integer count of a
currency's minor unit, a document is rounded once by one rule, and whenever a total is spread over
parts the parts sum to the total to the minor unit. No float appears anywhere in billing.
"""
