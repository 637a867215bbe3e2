// Does nothing: the target exists to build the precompiled header every test
// executable reuses (tests/CMakeLists.txt, cmake/KioskPch.cmake).
int main() { return 0; }
