"""lms: the top package. Its apps, one per domain: sheets (a library), people, archive, requirements, agreements,
appraisals, permits, privacy and audit (docs/architecture.md); lms itself binds them (URLs, API router, settings)."""
