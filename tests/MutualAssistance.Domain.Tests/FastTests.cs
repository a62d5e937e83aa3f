// The rules of the domain run without a cluster or a database: every test here is quick (./test.sh --fast).
[assembly: Trait("Category", "Fast")]
