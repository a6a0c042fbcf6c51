// The GitHub fault cases of the calls that write: creating and updating the plan comment.
import { githubFaultCases } from '../support/github-fault-cases.js';

githubFaultCases(['create comment', 'update comment']);
