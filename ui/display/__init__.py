"""The waiting-room display (`cac display`).

Qt-free: `speech_text` (Spanish words), `feed` (cursor, catch-up, history), `options`, `texts`,
`chime` (the WAV). Qt: `announcer` (serial voice queue), `sound` (chime and voice), `poller`
(long-poll and reconnection), `widgets`, `window` (DisplayWindow, run_display), `screenshot`.
"""
