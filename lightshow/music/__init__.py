"""Music as the show's timing: beat grids, marks, beat detection and the project's own synthesis.

Pure: arrays of samples and times in, arrays and text out; reading and writing audio files is
``lightshow.load.audio_file``'s job.
"""
