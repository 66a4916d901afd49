"""``python -m pipeline`` runs the same CLI as ``hap``."""
from pipeline.cli import main

if __name__ == "__main__":
    main()
