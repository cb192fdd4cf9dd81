// libFuzzer harness: the chemores command line (src/cli/main.cpp run(): command dispatch, `help`, `--version`, and
// the CLI11 option parsing and validation of every subcommand), without running any command.
//
// Input: the arguments after "chemores", one per line (at most 64).
//
// How the commands are kept from running without changing src/cli/main.cpp: the harness is linked with the same
// sources as the chemores executable (taken from its target in CMake), and main.cpp is compiled here with
//   -Dmain=chemores_cli_main
//   -Dinstall_cleanup_signal_handlers=chemores_fuzz_cli_parsed
// run() calls install_cleanup_signal_handlers() right after a successful parse and before the command runs; in this
// harness that function throws `parsed`, which is not a std::exception, so no handler in run() catches it and the
// command never runs. Everything else in run() is the real code. Usage errors, help and version return normally.
// Any other exception leaving run() is a bug (in chemores it would reach std::terminate) and crashes the harness.

#include <cstdint>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace chemores::cli
{
int run(int argc, char ** argv);
}

namespace
{
struct parsed
{
};
} // namespace

namespace chemores
{
// Replaces install_cleanup_signal_handlers() in main.cpp (see above).
void chemores_fuzz_cli_parsed()
{
    throw parsed{};
}
} // namespace chemores

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // Help and error texts go nowhere (libFuzzer reports through stderr directly, not through std::cerr).
    std::cout.setstate(std::ios::badbit);
    std::cerr.setstate(std::ios::badbit);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(uint8_t const * data, size_t size)
{
    std::string_view rest{reinterpret_cast<char const *>(data), size};
    std::vector<std::string> args{"chemores"};
    while (!rest.empty() && args.size() <= 64)
    {
        auto const nl = rest.find('\n');
        args.emplace_back(rest.substr(0, nl));
        if (nl == std::string_view::npos)
            break;
        rest.remove_prefix(nl + 1);
    }
    std::vector<char *> argv;
    for (auto & a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    try
    {
        int const rc = chemores::cli::run(static_cast<int>(args.size()), argv.data());
        if (rc != 0 && rc != 2)
            __builtin_trap(); // parsing alone returns 0 (help, version) or 2 (usage error)
    }
    catch (parsed const &)
    {
    }
    return 0;
}
