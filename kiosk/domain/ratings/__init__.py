"""The citizen's rating of a finished ticket, the complaint case a bad one opens, and the figures of both."""
