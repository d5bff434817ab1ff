"""Photos: find the images of a message, make safe web derivatives and choose the main photo."""
