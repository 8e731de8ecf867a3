// replaced as core grows
