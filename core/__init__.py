"""The bottom layer: configuration, errors and the domain's vocabulary; imports nothing of ours."""
