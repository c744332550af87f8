"""courses.h5p: H5P packages (upload, validation, libraries, serving, playback, xAPI). App label ``lms_h5p``."""
