"""courses: course and lesson pages, enrollment, progress, H5P activities."""
