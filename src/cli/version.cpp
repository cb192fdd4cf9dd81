// chemores version [--verbose]: the first thing to ask for in a bug report.

#include "common.hpp"

#include <chemores/align/kernels/kernels.hpp>
#include <chemores/core/version.hpp>
#include <chemores/reference/panel.hpp>

#include <htslib/hts.h>
#include <iostream>
#include <memory>

namespace chemores::cli
{

std::function<int()> setup_version(CLI::App & app)
{
    auto verbose = std::make_shared<bool>(false);
    app.add_flag("-v,--verbose", *verbose, "also print SIMD targets, library versions and reference checksums");
    return [verbose] {
        std::cout << "chemores " << version_string() << "\n";
        if (!*verbose)
            return 0;
        using namespace align::kernels;
        auto list = [](std::vector<simd_target> const & v) {
            std::string s;
            for (auto t : v)
                s += (s.empty() ? "" : " ") + std::string{to_string(t)};
            return s;
        };
        std::cout << "git: " << git_hash() << "\n"
                  << "build: " << build_type() << ", " << compiler() << "\n"
                  << "htslib: " << hts_version() << "\n"
                  << "simd compiled: " << list(compiled_targets()) << "\n"
                  << "simd available: " << list(available_targets()) << "\n"
                  << "simd chosen: " << to_string(best_available_target()) << "\n";
        for (auto name : {"transcripts", "mirna"})
        {
            auto const p = reference::panel::builtin(name);
            std::cout << "reference builtin:" << name << ": " << p.contigs().size() << " sequences, "
                      << p.total_length() << " bp, md5 " << p.checksum() << "\n";
        }
        return 0;
    };
}

} // namespace chemores::cli
