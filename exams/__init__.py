"""exams: question bank, exams, attempts and scoring. Depends on no other app of ours."""
