"""Free places reported to the loket (R7) and the waiting children that fit them (R12)."""
