"""Parse stage: PubMed XML -> frozen Article records."""
