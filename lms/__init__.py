"""lms: the top app: people, requirements, induction programs, archive, appraisals, permits, API, audit ledger."""
