"""Development tools: benchmarks, screenshots, sample reports. Not part of the installed package."""
