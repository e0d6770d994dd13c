"""The admin desk: find any order or payment, match bank statements, see proofs."""
