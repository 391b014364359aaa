"""emulator stage."""
