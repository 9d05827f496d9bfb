# Build the solutions document and look at it: `make pages` writes build/page-*.png.
PYTHON ?= python
BUILD ?= build

.PHONY: tex md pdf pages overfull test fuzz clean

tex md:
	mkdir -p $(BUILD)
	cd $(BUILD) && $(PYTHON) $(CURDIR)/cli.py render all --to $@ || test $$? -eq 1

# The PDF and TeX's log (for Overfull \hbox warnings), through derive's own safe compile.
pdf: tex
	$(PYTHON) -c "import sys; sys.path.insert(0, '$(CURDIR)'); \
	from derive.tex import compile_pdf; \
	s = compile_pdf(open('$(BUILD)/solutions.tex').read(), '$(BUILD)/solutions.pdf', log_path='$(BUILD)/solutions.log'); \
	print(f'wrote $(BUILD)/solutions.pdf (TeX {s:.1f} s)')"

pages: pdf
	rm -f $(BUILD)/page-*.png
	pdftoppm -r 70 -png $(BUILD)/solutions.pdf $(BUILD)/page
	@ls $(BUILD)/page-*.png
	@grep -c "^Overfull" $(BUILD)/solutions.log | sed 's/^/overfull boxes: /' || true

test:
	$(PYTHON) -m pytest -q tests/test_render*.py tests/test_pdf*.py

# The whole pipeline on 10,000 random derivation files (bench/fuzz.py): 0 tracebacks, 0 hangs.
FUZZ_INPUTS ?= 10000
FUZZ_SEED ?= 1
fuzz:
	nice $(PYTHON) bench/fuzz.py --inputs $(FUZZ_INPUTS) --seed $(FUZZ_SEED)

clean:
	rm -rf $(BUILD)
