"""Scripts that write files the site reads: the diagrams, the step-through weights, the offline copy."""
