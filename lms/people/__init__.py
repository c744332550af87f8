"""People (人员): employee profiles, departments, positions, sign-in accounts and their roles, induction programs,
the HR roster import and sign-in invitations. The lowest app of lms: every other one builds on it."""
