#include <chemores/core/atomic_output.hpp>

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

namespace fs = std::filesystem;

TEST(atomic_outputs, commit_renames_and_discard_removes)
{
    fs::path const dir = fs::temp_directory_path() / ("chemores_atomic_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::string const final_a = (dir / "a.txt").string();
    std::string const final_b = (dir / "b.txt").string();
    {
        chemores::atomic_outputs out;
        std::string const tmp = out.add(final_a);
        EXPECT_NE(tmp, final_a);
        std::ofstream{tmp} << "hello\n";
        EXPECT_FALSE(fs::exists(final_a));
        out.commit();
    }
    EXPECT_TRUE(fs::exists(final_a));
    {
        chemores::atomic_outputs out;
        std::string const tmp = out.add(final_b);
        std::ofstream{tmp} << "partial";
        EXPECT_TRUE(fs::exists(tmp));
        // destroyed without commit: nothing is left
    }
    EXPECT_FALSE(fs::exists(final_b));
    size_t leftovers = 0;
    for (auto const & e : fs::directory_iterator(dir))
        leftovers += e.path().filename() != "a.txt";
    EXPECT_EQ(leftovers, 0u);
    fs::remove_all(dir);
}

TEST(atomic_outputs, stdout_passes_through)
{
    chemores::atomic_outputs out;
    EXPECT_EQ(out.add("-"), "-");
}
